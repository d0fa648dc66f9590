from sakuga.cli import main

main()
