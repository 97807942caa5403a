from unionbrowse.cli import main

raise SystemExit(main())
