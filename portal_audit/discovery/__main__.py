import sys

from portal_audit.discovery.command import main

sys.exit(main())
