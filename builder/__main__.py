import sys

from builder.launch import main

sys.exit(main())
