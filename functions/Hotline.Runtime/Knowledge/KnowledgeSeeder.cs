using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hotline.Runtime.Knowledge;

/// <summary>
/// Seeds an empty knowledge base when the host starts. It runs in <see cref="StartAsync"/>, before the host
/// takes requests, so the first search never sees a half-loaded seed; the host creates its tables before it starts.
/// </summary>
public sealed partial class KnowledgeSeeder(KnowledgeBase knowledge, ILogger<KnowledgeSeeder> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var written = await knowledge.SeedIfEmptyAsync(cancellationToken).ConfigureAwait(false);
        if (written > 0) LogSeeded(log, written);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge base was empty: seeded {Count} articles from the knowledge file.")]
    private static partial void LogSeeded(ILogger logger, int count);
}
