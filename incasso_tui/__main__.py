import sys

from incasso_tui.cli.main import main

sys.exit(main())
