import sys

from copilot.app import main

sys.exit(main())
