"""Long-running workers: the polling loop behind `otklik watch`."""
