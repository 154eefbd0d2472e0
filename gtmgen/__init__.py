"""gtmgen: a go-to-market playbook in YAML, turned into the deliverables a consultant hands over."""

__version__ = "0.1.0"
