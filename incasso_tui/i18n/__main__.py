"""`python -m incasso_tui.i18n extract|update|compile`: manage the gettext catalogues
(see incasso_tui/i18n/catalogues.py)."""

import sys

from incasso_tui.i18n.catalogues import main

sys.exit(main(sys.argv[1:]))
