using System.Net;
using Azure;
using Hotline.Storage.Tables;

namespace Hotline.Storage.Tests;

/// <summary>Rules checked on the client, before any request leaves it. No emulator: the transport records calls.</summary>
public sealed class TableValidationTests : IDisposable
{
    private readonly FakeHandler _transport = new(_ => FakeHandler.Respond(HttpStatusCode.InternalServerError));
    private readonly TableClient _table;

    public TableValidationTests() =>
        _table = new TableClient(StorageConnection.Development(), "matters", _transport.Options());

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
    public async Task Forbidden_keys_are_rejected_before_sending_naming_the_key(string key, string why)
    {
        var asPartitionKey = await Assert.ThrowsAsync<ArgumentException>(() => _table.AddEntityAsync(new TableEntity(key, "r")));
        Assert.Equal("PartitionKey", asPartitionKey.ParamName);
        Assert.Contains("PartitionKey", asPartitionKey.Message, StringComparison.Ordinal);

        var asRowKey = await Assert.ThrowsAsync<ArgumentException>(() => _table.UpsertEntityAsync(new TableEntity("p", key)));
        Assert.Equal("RowKey", asRowKey.ParamName);

        await Assert.ThrowsAsync<ArgumentException>(() => _table.UpdateEntityAsync(new TableEntity("p", key), ETag.All));
        await Assert.ThrowsAsync<ArgumentException>(() => _table.GetEntityIfExistsAsync(key, "r"));
        await Assert.ThrowsAsync<ArgumentException>(() => _table.GetEntityAsync("p", key));
        await Assert.ThrowsAsync<ArgumentException>(() => _table.DeleteEntityAsync(key, "r"));

        Assert.True(_transport.Requests.Count == 0, $"a key with a {why} reached the network");
    }

    [Fact]
    public async Task Keys_at_the_limit_and_with_ordinary_punctuation_are_sent()
    {
        await Assert.ThrowsAsync<RequestFailedException>(() => _table.AddEntityAsync(new TableEntity(new string('k', 512), "a'b c%d+e&f=g")));
        await Assert.ThrowsAsync<RequestFailedException>(() => _table.AddEntityAsync(new TableEntity("", "")));

        Assert.Equal(2, _transport.Requests.Count);
    }

    [Fact]
    public void Key_error_shows_control_characters_visibly()
    {
        var e = Assert.Throws<ArgumentException>(() => TableKeys.Validate("bad\u0001key", "RowKey"));

        Assert.Contains(@"bad\u0001key", e.Message, StringComparison.Ordinal);
        Assert.Equal("RowKey", e.ParamName);
    }

    [Fact]
    public void Invalid_table_names_and_reserved_or_unsupported_properties_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new TableClient(StorageConnection.Development(), "1abc"));
        Assert.Throws<ArgumentException>(() => new TableClient(StorageConnection.Development(), "ab"));
        Assert.Throws<ArgumentException>(() => new TableClient(StorageConnection.Development(), "has-dash"));
        Assert.Throws<ArgumentException>(() => new TableClient(StorageConnection.Development(), "Tables"));

        var entity = new TableEntity("p", "r");
        Assert.Throws<ArgumentException>(() => entity["PartitionKey"] = "x");
        Assert.Throws<ArgumentException>(() => entity["Timestamp"] = DateTimeOffset.UtcNow);
        Assert.Throws<ArgumentException>(() => entity["odata.etag"] = "x");
        Assert.Throws<ArgumentException>(() => entity["When"] = DateTime.UtcNow);
        Assert.Throws<ArgumentException>(() => entity["Money"] = 1.5m);

        entity["Gone"] = "x";
        entity["Gone"] = null;
        Assert.Empty(entity.Properties);
        entity["Text"] = "x";
        Assert.Throws<InvalidCastException>(() => entity.GetInt32("Text"));
    }

    [Fact]
    public async Task Select_and_top_are_validated_and_keys_always_selected()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _table.QueryPageAsync(top: 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _table.QueryPageAsync(top: 1001));
        await Assert.ThrowsAsync<ArgumentException>(() => _table.QueryPageAsync(select: ["A,B"]));
        Assert.Empty(_transport.Requests);

        await Assert.ThrowsAsync<RequestFailedException>(() => _table.QueryPageAsync(TableFilter.Create($"Name eq {"O'Brien"}"), ["Name"], 5));
        var query = Uri.UnescapeDataString(Assert.Single(_transport.Requests).Uri.Query);
        Assert.Equal("?$filter=Name eq 'O''Brien'&$select=PartitionKey,RowKey,Name&$top=5", query);
    }
}
