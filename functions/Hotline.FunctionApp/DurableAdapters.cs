using DurableTask.Core.Exceptions;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Orchestration;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Hotline.FunctionApp;

/// <summary>Forwards our orchestration interface to the Durable Task engine; no logic of its own. Tests run it on the real engine.</summary>
public sealed class DurableOrchestrationContext(TaskOrchestrationContext context) : IMatterOrchestrationContext
{
    public string InstanceId => context.InstanceId;

    public DateTime CurrentUtcDateTime => context.CurrentUtcDateTime;

    public Task CreateTimer(DateTime fireAtUtc, CancellationToken cancellationToken) => context.CreateTimer(fireAtUtc, cancellationToken);

    public Task WaitForSignal(string name, CancellationToken cancellationToken) => context.WaitForExternalEvent<object?>(name, cancellationToken);

    public Task<T> CallActivityAsync<T>(string name, object input, ActivityRetry retry) =>
        context.CallActivityAsync<T>(name, input, TaskOptions.FromRetryPolicy(
            new RetryPolicy(retry.MaxAttempts, retry.FirstInterval, retry.BackoffCoefficient, retry.MaxInterval)));

    public void SetCustomStatus(object? status) => context.SetCustomStatus(status);

    public void ContinueAsNew(object input) => context.ContinueAsNew(input, preserveUnprocessedEvents: true);
}

/// <summary>
/// The Durable client of the invocation in progress. Functions hand it to a function as a binding, not through
/// dependency injection, so each function that may commit changes sets it here before calling the shared code.
/// </summary>
public sealed class DurableClientAccessor
{
    private readonly AsyncLocal<DurableTaskClient?> _current = new();

    public DurableTaskClient Client => _current.Value ?? throw new InvalidOperationException("No Durable client bound to this invocation.");

    public IDisposable Bind(DurableTaskClient client)
    {
        var previous = _current.Value;
        _current.Value = client;
        return new Restore(() => _current.Value = previous);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}

/// <summary>
/// In Azure a new lifecycle alarm signals the matter's orchestration ("matterChanged", no payload: history is stored),
/// starting it if it is not running; the orchestration reads the alarm from the stored matter.
/// </summary>
/// <remarks>
/// Starting comes first, and losing the start is the signal: two commits of a new matter may both get here, and
/// asking for the instance before starting it races (both see none, both start). The engine refuses the second
/// start of an instance that is pending or running (the start's dedupe statuses, and host.json
/// <c>overridableExistingInstanceStates</c>: <c>NonRunningStates</c> for the same rule in Azure), and an instance
/// that is running only needs the signal. A completed or failed instance
/// is replaced by the start, which reads the stored matter afresh.
/// </remarks>
public sealed class DurableAlarmScheduler(DurableClientAccessor accessor) : IAlarmScheduler
{
    public async Task ScheduleAsync(string matterId, Alarm alarm, CancellationToken cancellationToken)
    {
        var client = accessor.Client;
        var instanceId = MatterOrchestration.InstanceId(matterId);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(MatterOrchestration.Name, matterId,
                new StartOrchestrationOptions(InstanceId: instanceId).WithDedupeStatuses(Running), cancellationToken).ConfigureAwait(false);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            await client.RaiseEventAsync(instanceId, MatterOrchestration.ChangedSignal, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A running instance is told, reads the closed matter and completes; one that is not running needs nothing.</summary>
    public async Task ClosedAsync(string matterId, CancellationToken cancellationToken)
    {
        var client = accessor.Client;
        var instanceId = MatterOrchestration.InstanceId(matterId);
        var instance = await client.GetInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (instance is { IsRunning: true } or { RuntimeStatus: OrchestrationRuntimeStatus.Pending })
        {
            await client.RaiseEventAsync(instanceId, MatterOrchestration.ChangedSignal, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The states a start must not replace (the same as host.json's <c>NonRunningStates</c> leaves alone).</summary>
    private static readonly OrchestrationRuntimeStatus[] Running =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];
}
