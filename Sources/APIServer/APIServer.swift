// APIServer module
