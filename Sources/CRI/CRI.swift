// CRI module
