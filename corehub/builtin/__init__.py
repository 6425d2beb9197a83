"""corehub's own default hook implementations, registered as plugins marked ``trylast``."""
