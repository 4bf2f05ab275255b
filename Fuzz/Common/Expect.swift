/// Stops the run when a promised property does not hold, so that libFuzzer keeps the input as a crash artefact
/// exactly as it would for a trap in the code under test.
func expect(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("property violated: \(message())") }
}
