"""Invented paste text shared by the parser tests (no ../shared)."""

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pastes"

BODY = "توصل الحاضرون إلى اتفاق على تعزيز التنسيق المشترك والتعاون بين الجهات الأمنية المختلفة في البلاد."
BODY_2 = "وأضاف المتحدث أن الاجتماع تناول عدداً من الملفات الأمنية الحساسة في الجنوب الشرقي من البلاد."


def paste(*lines: str) -> str:
    """Lines joined as an editor's paste."""
    return "\n".join(lines)
