print("nntop")
