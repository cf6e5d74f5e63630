"""Pure parsing of forum dumps into plain dataclasses; no Django here, on purpose."""
