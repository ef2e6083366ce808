"""Bank feedback and reversals (storneren): import, manual reversals, R-transactions."""
