"""Find anything: a reference, a customer or a service, from the search box on every page."""
