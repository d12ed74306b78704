"""Named entities: extractors, resolution, scoring and training."""
