"""The limit FSI's throughput is measured against: a bare Flask app answering "hello"."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
