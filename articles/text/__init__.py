"""Pure Arabic text logic, no Django: normalisation, words, stems, identity keys, the paste parser."""
