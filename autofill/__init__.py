"""autofill: answer security questionnaires from a knowledge base of cited claims."""

__version__ = "0.1.0"
