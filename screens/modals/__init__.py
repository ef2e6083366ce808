"""Modal screens: confirmations, prompts, help, history and the forms."""
