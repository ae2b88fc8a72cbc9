# nbgrader settings that `jazari lab` adds to the trainer's JupyterLab (via JUPYTER_CONFIG_PATH).
# The course's own nbgrader_config.py is read after this file and wins.
c = get_config()  # noqa: F821

# A quiet log (no line per cached submission) and no .ipynb_checkpoints warnings.
c.ExchangeFactory.list = 'autograder.exchange.QuietExchangeList'
c.ExchangeFactory.fetch_feedback = 'autograder.exchange.QuietExchangeFetchFeedback'
c.ExchangeFactory.submit = 'autograder.exchange.TidyExchangeSubmit'
