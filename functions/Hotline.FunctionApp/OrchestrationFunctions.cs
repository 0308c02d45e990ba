using Hotline.Runtime;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Orchestration;
using Hotline.Runtime.Organizers;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Hotline.FunctionApp;

/// <summary>The Durable orchestration per matter, its two activities, and the sweep that runs stranded effects.</summary>
public sealed class OrchestrationFunctions(MatterOrchestrationActivities activities, AlarmPump pump, DurableClientAccessor durable, DirectoryStore directory)
{
    [Function(MatterOrchestration.Name)]
    public static Task Run([OrchestrationTrigger] TaskOrchestrationContext context, string matterId) =>
        MatterOrchestration.RunAsync(new DurableOrchestrationContext(context), matterId);

    [Function(MatterOrchestration.NextAlarmActivity)]
    public Task<NextAlarm> NextAlarm([ActivityTrigger] string matterId, FunctionContext context) =>
        activities.NextAlarmAsync(matterId, context.CancellationToken);

    [Function(MatterOrchestration.FireAlarmActivity)]
    public async Task<bool> FireAlarm([ActivityTrigger] FireAlarmInput input, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        using (durable.Bind(client))
        {
            return await activities.FireAlarmAsync(input, context.CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Effects are retried here: each commit first writes a sweep row to the alarm index, and failed effects schedule
    /// their retry the same way; this timer delivers the due ones (in Azure the index holds only sweeps).
    /// </summary>
    [Function("EffectSweep")]
    public async Task Sweep([TimerTrigger("*/15 * * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        using (durable.Bind(client))
        {
            await pump.DrainAsync(context.CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Each instance serves with its own copy of the organizer directory and routing; staff edits land in storage
    /// through whichever instance took the request, and this brings every instance up to date within five minutes.
    /// </summary>
    [Function("DirectoryRefresh")]
    public Task RefreshDirectory([TimerTrigger("0 */5 * * * *")] TimerInfo timer, FunctionContext context) =>
        directory.RefreshAsync(context.CancellationToken);
}
