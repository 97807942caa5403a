from unionbrowse.main import main

raise SystemExit(main())
