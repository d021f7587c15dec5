import sys

from .server import main_admin

sys.exit(main_admin())
