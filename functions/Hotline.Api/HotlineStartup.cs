using Hotline.Orchestrations.Time;
using Hotline.Runtime;
using Hotline.Runtime.Evidence;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api;

/// <summary>
/// The start-up work both hosts do before serving: tables, the evidence container (and its browser CORS where the
/// host may set it), the organizer directory and routing from storage (seeded from Data/ the first time), and the
/// calendar gauge. The local host runs it before Kestrel starts; the Function App runs it when the worker starts and
/// refreshes the directory on a timer, since every instance serves with its own copy.
/// </summary>
public static class HotlineStartup
{
    private static int _calendarObserved;

    /// <param name="corsOrigins">Browser origins allowed to upload evidence; empty where infra sets blob CORS (Azure).</param>
    public static async Task PrepareAsync(IServiceProvider services, IEnumerable<string> corsOrigins, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<HotlineTables>().CreateWhenReachableAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<DirectoryStore>().RefreshAsync(cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<EvidenceStore>().EnsureAsync(corsOrigins, cancellationToken).ConfigureAwait(false);
        ObserveCalendar(services);
    }

    /// <summary>The origin of the public base URI: where the organizer page runs.</summary>
    public static string PublicOrigin(IServiceProvider services) =>
        services.GetRequiredService<RuntimeOptions>().PublicBaseUri.GetLeftPart(UriPartial.Authority);

    /// <summary>The gauge <c>hotline.calendar.missing_years</c>, once per process.</summary>
    public static void ObserveCalendar(IServiceProvider services)
    {
        if (Interlocked.Exchange(ref _calendarObserved, 1) == 1) return;
        HotlineMetrics.Meter.CreateObservableGauge("hotline.calendar.missing_years",
            () => HealthEndpoints.MissingYears(services.GetRequiredService<HolidayCalendar>(), services.GetRequiredService<TimeProvider>().GetUtcNow()).Count,
            description: "Years within reach of deadlines that have no statutory holiday data.");
    }
}
