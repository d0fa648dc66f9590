from sakuga.cli import main

# Guarded: helper processes (spawned) import this module again and must not run the CLI.
if __name__ == "__main__":
    main()
