NNTop.runAndExit()
