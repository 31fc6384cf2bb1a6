// The kubelet module
