from crosswire.cli.main import app

app(prog_name="crosswire")
