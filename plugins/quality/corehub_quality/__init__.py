"""corehub-quality: grade real customer conversations and feed the result into reviews."""
