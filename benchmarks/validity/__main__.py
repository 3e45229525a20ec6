from benchmarks.validity.run import main

main()
