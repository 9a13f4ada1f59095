# A first program for Verdict: `npm run example` runs it in the sandbox.
name = "World"
print(f"Hello, {name}!")
