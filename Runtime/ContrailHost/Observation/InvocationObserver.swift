/// Told of every invocation once its response is made: what `contrail dev`'s console keeps and charts.
///
/// Called on the request's task, after the log line is written; an observer returns quickly and does not throw.
public protocol InvocationObserver: Sendable {
    func invocationFinished(_ invocation: FinishedInvocation)
}
