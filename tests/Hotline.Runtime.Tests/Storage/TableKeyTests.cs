using System.Net;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Projections;
using Hotline.Runtime.Store;

namespace Hotline.Runtime.Tests.Storage;

/// <summary>
/// Keys the Table service forbids are refused by the store before any request leaves it: the SDK would send them.
/// No emulator: the transport records what reaches it.
/// </summary>
public sealed class TableKeyTests : IDisposable
{
    private readonly RecordingHandler _transport = new();
    private readonly TableClient _table;

    public TableKeyTests() =>
        _table = new TableClient("UseDevelopmentStorage=true", "matters", new TableClientOptions
        {
            Transport = new HttpClientTransport(new HttpClient(_transport)),
            Retry = { MaxRetries = 0 },
        });

    public void Dispose() => _transport.Dispose();

    public static TheoryData<string, string> ForbiddenKeys() => new()
    {
        { "a/b", "slash" },
        { "a\\b", "backslash" },
        { "a#b", "hash" },
        { "a?b", "question mark" },
        { "a\u0000b", "NUL" },
        { "a\tb", "tab" },
        { "a\nb", "newline" },
        { "a\u007Fb", "DEL" },
        { "a\u0085b", "C1 control" },
        { new string('k', 513), "over 1 KiB" },
    };

    [Theory]
    [MemberData(nameof(ForbiddenKeys))]
    public async Task Forbidden_matter_keys_are_refused_before_sending_naming_the_key(string key, string why)
    {
        var store = new MatterStore(_table);

        var load = await Assert.ThrowsAsync<ArgumentException>(() => store.LoadAsync(key));
        Assert.Equal("PartitionKey", load.ParamName);
        Assert.Contains("PartitionKey", load.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => store.EventsAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => store.PendingEffectsAsync(key));
        var schedule = await Assert.ThrowsAsync<ArgumentException>(() =>
            new AlarmIndex(_table).ScheduleAsync(new ScheduledAlarm(key, "signDue", DateTimeOffset.UnixEpoch)));
        Assert.Equal("RowKey", schedule.ParamName);

        Assert.True(_transport.Requests.Count == 0, $"a key with a {why} reached the network");
    }

    [Fact]
    public async Task Ordinary_keys_are_sent()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => new MatterStore(_table).LoadAsync("20260302ABCDEFGH"));

        Assert.Single(_transport.Requests);
    }

    [Fact]
    public void Key_errors_show_control_characters_visibly()
    {
        var e = Assert.Throws<ArgumentException>(() => TableKeys.Validate("a\u0001b", "RowKey"));

        Assert.Contains("\\u0001", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a token!")]
    [InlineData("")]
    [InlineData("YS9i")] // "a/b": a key the service would refuse
    public void Continuation_tokens_this_service_did_not_issue_are_refused(string token)
    {
        if (token.Length == 0)
        {
            Assert.Null(MatterIndex.DecodeToken(token));
            return;
        }
        Assert.Throws<FormatException>(() => MatterIndex.DecodeToken(token));
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests) Requests.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("") });
        }
    }
}
