import sys

from portal_audit.report.command import main

sys.exit(main())
