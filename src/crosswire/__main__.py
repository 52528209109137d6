from crosswire.cli.main import app

if __name__ == "__main__":  # worker processes may import the main module: never run the CLI then
    app(prog_name="crosswire")
