using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using Hotline.Orchestrations.Time;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Effects;
using Hotline.Runtime.Knowledge;
using Hotline.Runtime.Links;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Projections;
using Hotline.Runtime.Sms;
using Hotline.Runtime.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Hotline.Runtime;

/// <summary>Everything a host must decide to run the system.</summary>
public sealed record HotlineSettings(
    StorageAccount Storage,
    RegulationProfile Profile,
    OrganizerDirectory Directory,
    RuntimeOptions Options,
    string TablePrefix = "",
    HolidayCalendar? Holidays = null,
    RoutingTable? Routing = null,
    ReturnVisits.ReturnVisitOptions? ReturnVisits = null);

public static class RuntimeServices
{
    /// <summary>
    /// Registers the runtime and its storage clients (<see cref="StorageClients.AddHotlineStorage"/>: the one place both
    /// hosts get their Azure SDK clients from). A host may register its own <see cref="TimeProvider"/> or <see cref="ISmsSender"/>
    /// first; otherwise the system clock and the local outbox are used.
    /// </summary>
    public static IServiceCollection AddHotlineRuntime(this IServiceCollection services, HotlineSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(settings.Options);
        services.AddSingleton(settings.Profile);
        services.AddSingleton(sp => new DirectoryStore(sp.GetRequiredService<HotlineTables>().Settings, settings.Directory, settings.Routing ?? RoutingTable.Empty));
        services.AddSingleton(sp => new DuplicateFinder(sp.GetRequiredService<DuplicateIndex>(), settings.Options));
        services.TryAddSingleton(TimeProvider.System);
        // The calendar changes when staff install a year, so these resolve to what is in force at the time of asking;
        // long-lived services hold the CalendarStore, not one of them.
        services.AddSingleton(sp => new Calendars.CalendarStore(sp.GetRequiredService<HotlineTables>().Settings, settings.Profile,
            settings.Holidays ?? HolidayCalendar.Embedded));
        services.AddTransient(sp => sp.GetRequiredService<Calendars.CalendarStore>().Current.Holidays);
        services.AddTransient(sp => sp.GetRequiredService<Calendars.CalendarStore>().Current.Lifecycle);
        services.AddTransient(sp => sp.GetRequiredService<Calendars.CalendarStore>().Current.Lifecycle.Calendar);
        services.AddSingleton<Calendars.ProvisionalDeadlines>();
        services.AddSingleton<IHostedService, Calendars.CalendarRefresher>();

        services.AddHotlineStorage(settings.Storage);
        services.AddSingleton(sp => new HotlineTables(sp.GetRequiredService<Azure.Data.Tables.TableServiceClient>(), settings.TablePrefix));
        services.AddSingleton(sp => new MatterStore(sp.GetRequiredService<HotlineTables>().Matters));
        services.AddSingleton(sp => new AlarmIndex(sp.GetRequiredService<HotlineTables>().Alarms));
        services.AddSingleton(sp => new DuplicateIndex(sp.GetRequiredService<HotlineTables>().DuplicateKeys));
        services.AddSingleton(sp => new MatterIndex(sp.GetRequiredService<HotlineTables>().MatterIndex, sp.GetRequiredService<HotlineTables>().Supervision));
        services.AddSingleton(sp => new StaffQueues(sp.GetRequiredService<HotlineTables>().StaffQueues));
        services.AddSingleton(sp => new Reports.ReportCounters(sp.GetRequiredService<HotlineTables>().ReportCounters));
        services.AddSingleton(sp => new Reports.HotspotCounters(sp.GetRequiredService<HotlineTables>().HotspotCounters));
        services.AddSingleton(sp => new Reports.FactsProjection(sp.GetRequiredService<HotlineTables>().Facts, sp.GetRequiredService<Reports.ReportCounters>(),
            sp.GetRequiredService<Reports.HotspotCounters>()));
        services.AddSingleton<Reports.AssessmentReports>();
        services.AddSingleton<Reports.ProjectionRebuilder>();
        services.AddSingleton(sp => new PoisonList(sp.GetRequiredService<HotlineTables>().Poison));
        services.AddSingleton(sp => new PoisonListGauge(sp.GetRequiredService<PoisonList>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new SmsOutbox(sp.GetRequiredService<HotlineTables>().SmsOutbox, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ISmsSender>(sp => sp.GetRequiredService<SmsOutbox>());
        services.AddSingleton(sp => new OrganizerLinks(sp.GetRequiredService<HotlineTables>().Links, sp.GetRequiredService<TimeProvider>(), settings.Options));

        services.TryAddSingleton<IAlarmScheduler>(sp => new IndexAlarmScheduler(sp.GetRequiredService<AlarmIndex>()));
        services.AddSingleton<IEffectHandler, AlarmEffectHandler>();
        services.AddSingleton<IEffectHandler, ClosedEffectHandler>();
        services.AddSingleton<Orchestration.MatterOrchestrationActivities>();
        services.AddSingleton<IEffectHandler, ProjectionEffectHandler>();
        services.AddSingleton<IEffectHandler>(sp => new SmsEffectHandler(
            sp.GetRequiredService<DirectoryStore>(), sp.GetRequiredService<OrganizerLinks>(), sp.GetRequiredService<ISmsSender>()));
        services.AddSingleton<IEffectHandler>(sp => new AbsorbEffectHandler(sp));
        services.AddSingleton<IEffectHandler>(sp => new DuplicatesEffectHandler(sp.GetRequiredService<DuplicateIndex>(), sp.GetRequiredService<DuplicateFinder>(), sp));
        services.AddSingleton<IEffectHandler>(sp => new RevokeLinksEffectHandler(sp.GetRequiredService<OrganizerLinks>()));
        services.AddSingleton<EffectRunner>();
        services.AddSingleton<EffectBacklog>();
        services.AddSingleton<MatterService>();
        services.AddSingleton(sp => new IntakeService(sp.GetRequiredService<HotlineTables>().Intake, sp.GetRequiredService<MatterService>(),
            sp.GetRequiredService<DirectoryStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AlarmPump>();
        services.AddSingleton(sp => new ReturnVisits.ReturnVisitDraw(sp.GetRequiredService<MatterIndex>(), settings.ReturnVisits ?? new ReturnVisits.ReturnVisitOptions()));
        services.AddSingleton(sp => new Evidence.EvidenceStore(sp.GetRequiredService<Azure.Storage.Blobs.BlobServiceClient>(),
            settings.TablePrefix.ToLowerInvariant() + "evidence", Evidence.EvidenceLimits.Default));
        services.AddSingleton(sp => new DisclosureAudit(sp.GetRequiredService<HotlineTables>().Audit, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new KnowledgeBase(sp.GetRequiredService<HotlineTables>().Knowledge, () => sp.GetRequiredService<DirectoryStore>().Directory, sp.GetRequiredService<TimeProvider>(),
            KnowledgeSeed.Load(sp.GetService<IConfiguration>(), sp.GetService<IHostEnvironment>())));
        services.AddSingleton<IHostedService, KnowledgeSeeder>();
        services.AddSingleton(sp => new KnowledgeProposals(sp.GetRequiredService<HotlineTables>().KnowledgeProposals, sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
