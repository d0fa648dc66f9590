"""What the creator asks for: the ArtSpec, styles, uses and the prompt critique."""
