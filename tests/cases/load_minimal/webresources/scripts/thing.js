// the thing form script
