using Hotline.Orchestrations.Time;
using Hotline.Runtime;
using Hotline.Runtime.Effects;
using Hotline.Runtime.Evidence;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api;

/// <summary>
/// The start-up work both hosts do before serving: tables, the evidence container (and its browser CORS where the
/// host may set it), the organizer directory and routing from storage (seeded from Data/ the first time), and the
/// calendar and poison-list gauges. The local host runs it before Kestrel starts; the Function App runs it when the worker starts and
/// refreshes the directory on a timer, since every instance serves with its own copy.
/// </summary>
public static class HotlineStartup
{
    private static int _calendarObserved;
    private static IServiceProvider? _observed;

    /// <param name="corsOrigins">Browser origins allowed to upload evidence; empty where infra sets blob CORS (Azure).</param>
    public static async Task PrepareAsync(IServiceProvider services, IEnumerable<string> corsOrigins, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<HotlineTables>().CreateWhenReachableAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<DirectoryStore>().RefreshAsync(cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<EvidenceStore>().EnsureAsync(corsOrigins, cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<PoisonListGauge>().CountAsync(cancellationToken).ConfigureAwait(false);
        ObserveCalendar(services);
    }

    /// <summary>The origin of the public base URI: where the organizer page runs.</summary>
    public static string PublicOrigin(IServiceProvider services) =>
        services.GetRequiredService<RuntimeOptions>().PublicBaseUri.GetLeftPart(UriPartial.Authority);

    /// <summary>
    /// The gauges <c>hotline.calendar.missing_years</c> and <c>hotline.effects.poison_list</c>. The meter is the
    /// process's, so they are created once and read the host that called last: production runs one host per process,
    /// tests start one after another.
    /// </summary>
    public static void ObserveCalendar(IServiceProvider services)
    {
        Volatile.Write(ref _observed, services);
        if (Interlocked.Exchange(ref _calendarObserved, 1) == 1) return;
        HotlineMetrics.Meter.CreateObservableGauge("hotline.calendar.missing_years", () =>
            {
                var observed = Volatile.Read(ref _observed)!;
                return HealthEndpoints.MissingYears(observed.GetRequiredService<HolidayCalendar>(), observed.GetRequiredService<TimeProvider>().GetUtcNow()).Count;
            },
            description: "Years within reach of deadlines that have no statutory holiday data.");
        HotlineMetrics.Meter.CreateObservableGauge("hotline.effects.poison_list", () => Volatile.Read(ref _observed)!.GetRequiredService<PoisonListGauge>().Observe(),
            description: "Effects on the poison list, waiting for an operator (GET /api/effects/poison).");
    }
}
