// ContainerRuntime module
