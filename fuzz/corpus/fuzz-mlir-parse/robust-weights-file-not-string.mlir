module attributes {sxf.weights_file = ["t.safetensors"]} {
}
