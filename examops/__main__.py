from examops.cli import main

main()
