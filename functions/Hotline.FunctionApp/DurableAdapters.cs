using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Orchestration;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Hotline.FunctionApp;

/// <summary>Forwards our orchestration interface to Durable Functions; no logic of its own (that is proven in CI).</summary>
public sealed class DurableOrchestrationContext(TaskOrchestrationContext context) : IMatterOrchestrationContext
{
    public string InstanceId => context.InstanceId;

    public Task CreateTimer(DateTime fireAtUtc, CancellationToken cancellationToken) => context.CreateTimer(fireAtUtc, cancellationToken);

    public Task WaitForSignal(string name, CancellationToken cancellationToken) => context.WaitForExternalEvent<object?>(name, cancellationToken);

    public Task<T> CallActivityAsync<T>(string name, object input) => context.CallActivityAsync<T>(name, input);

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
/// starting it if it does not exist yet; the orchestration reads the alarm from the stored matter.
/// </summary>
public sealed class DurableAlarmScheduler(DurableClientAccessor accessor) : IAlarmScheduler
{
    public async Task ScheduleAsync(string matterId, Alarm alarm, CancellationToken cancellationToken)
    {
        var client = accessor.Client;
        var instanceId = MatterOrchestration.InstanceId(matterId);
        var instance = await client.GetInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (instance is null || instance.IsCompleted)
        {
            // Starting reads the stored matter, which already holds this alarm: no signal needed.
            await client.ScheduleNewOrchestrationInstanceAsync(MatterOrchestration.Name, matterId,
                new StartOrchestrationOptions(InstanceId: instanceId), cancellationToken).ConfigureAwait(false);
            return;
        }
        await client.RaiseEventAsync(instanceId, MatterOrchestration.ChangedSignal, null, cancellationToken).ConfigureAwait(false);
    }
}
