import sys

from .app import main_admin

sys.exit(main_admin())
