"""The HTTP API (`maestro serve`): the app, its job worker and its database."""
