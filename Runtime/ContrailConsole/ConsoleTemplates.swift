import Mustache

/// The pages, as Mustache templates compiled into the binary: nothing is read from disk or the network.
enum ConsoleTemplates {
    static let library: MustacheLibrary = {
        let sources: [String: String] = [
            "head": Self.head, "foot": Self.foot, "functions": Self.functions, "invocation": Self.invocation,
            "pubsub": Self.pubsub, "peek": Self.peek, "dead-letters": Self.deadLetters, "missing": Self.missing,
        ]
        // The templates are fixed text, checked by the console's tests: one that does not parse is a build defect.
        return MustacheLibrary(templates: sources.mapValues { try! MustacheTemplate(string: $0) })
    }()

    static let head = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Contrail dev</title>
        <link rel="stylesheet" href="/console.css">
        <script src="/console.js" defer></script>
        </head>
        <body>
        <header>
        <strong>Contrail dev</strong>
        <nav><a href="/">Functions</a> <a href="/pubsub">Topics and subscriptions</a> <a href="/dead-letters">Dead letters</a></nav>
        </header>
        <main>
        <h1>{{title}}</h1>
        {{#notice}}<p id="notice" class="notice">{{notice}}</p>{{/notice}}
        {{#error}}<p id="error" class="error" role="alert">{{error}}</p>{{/error}}

        """

    static let foot = """
        </main>
        </body>
        </html>

        """

    static let functions = """
        {{> head}}
        <table id="functions">
        <thead><tr><th>Function</th><th>Kind</th><th>Trigger</th><th>URL</th><th>Invocations</th><th>5xx</th></tr></thead>
        <tbody>
        {{#functions}}
        <tr data-function="{{name}}"><td class="name">{{name}}</td><td class="kind">{{kind}}</td><td class="trigger">{{trigger}}</td><td class="url"><a href="{{url}}">{{url}}</a></td><td class="count">{{invocations}}</td><td class="errors">{{errors}}</td></tr>
        {{/functions}}
        </tbody>
        </table>
        <section class="charts">
        {{#functions}}
        <figure>
        <figcaption><strong>{{name}}</strong> <span class="summary" data-summary="{{name}}">waiting for the first invocation</span></figcaption>
        <canvas class="chart" data-function="{{name}}" data-total="0" width="720" height="140"></canvas>
        </figure>
        {{/functions}}
        <p class="legend"><span class="swatch count"></span> invocations a second <span class="swatch errors"></span> 5xx a second <span class="swatch p50"></span> p50 <span class="swatch p99"></span> p99 latency (right scale), over the last five minutes</p>
        </section>
        <h2>Recent invocations</h2>
        <table id="invocations">
        <thead><tr><th>Time</th><th>Function</th><th>Status</th><th>Duration</th><th>Attempt</th><th>Trace</th><th></th></tr></thead>
        <tbody data-latest="{{latest}}" data-live="{{live}}">
        {{#invocations}}
        <tr data-invocation-id="{{id}}"{{#failed}} class="failed"{{/failed}}><td class="time">{{time}}</td><td class="function">{{function}}</td><td class="status">{{status}}</td><td class="duration">{{durationMs}} ms</td><td class="attempt">{{deliveryAttempt}}</td><td class="trace">{{traceId}}</td><td><a class="logs" href="/invocations/{{id}}">logs</a></td></tr>
        {{/invocations}}
        </tbody>
        </table>
        {{#older}}<p><a id="older" href="/?before={{.}}">Older invocations</a></p>{{/older}}
        {{> foot}}
        """

    static let invocation = """
        {{> head}}
        {{#invocation}}
        <dl id="invocation">
        <dt>Id</dt><dd>{{id}}</dd>
        <dt>Function</dt><dd>{{function}}</dd>
        <dt>Request</dt><dd>{{method}} {{path}}</dd>
        <dt>Status</dt><dd class="status">{{status}}</dd>
        <dt>Duration</dt><dd>{{durationMs}} ms</dd>
        <dt>Started</dt><dd>{{time}}</dd>
        {{#messageId}}<dt>Message</dt><dd>{{messageId}}</dd>{{/messageId}}
        {{#deliveryAttempt}}<dt>Delivery attempt</dt><dd>{{deliveryAttempt}}</dd>{{/deliveryAttempt}}
        {{#traceId}}<dt>Trace</dt><dd>{{traceId}}</dd>{{/traceId}}
        {{#failure}}<dt>Failure</dt><dd>{{failure}}</dd>{{/failure}}
        </dl>
        <h2>Log lines</h2>
        <ol id="log-lines">
        {{#logLines}}<li><code>{{.}}</code></li>
        {{/logLines}}
        </ol>
        {{/invocation}}
        <p><a href="/">Back to the functions</a></p>
        {{> foot}}
        """

    static let pubsub = """
        {{> head}}
        <section>
        <h2>Publish</h2>
        <form id="publish" method="post" action="/pubsub/publish">
        <label>Topic <select name="topic">{{#topics}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{id}}</option>{{/topics}}</select></label>
        <label>Data <textarea name="data" rows="3" cols="60">{{data}}</textarea></label>
        <label>Attributes, key=value a line <textarea name="attributes" rows="3" cols="40">{{attributes}}</textarea></label>
        <label>Ordering key <input name="orderingKey" value="{{orderingKey}}"></label>
        <button type="submit">Publish</button>
        </form>
        </section>
        <h2>Topics</h2>
        <table id="topics">
        <thead><tr><th>Topic</th><th>Subscriptions</th></tr></thead>
        <tbody>
        {{#topics}}<tr data-topic="{{id}}"><td class="id">{{id}}</td><td class="subscriptions">{{subscriptions}}</td></tr>
        {{/topics}}
        </tbody>
        </table>
        <h2>Subscriptions</h2>
        <table id="subscriptions">
        <thead><tr><th>Subscription</th><th>Topic</th><th>Backlog</th><th>Oldest unacked</th><th>Push outcomes</th><th>Flow</th><th>Settings</th><th>Test controls</th></tr></thead>
        <tbody>
        {{#subscriptions}}
        <tr data-subscription="{{id}}">
        <td class="id">{{id}}<br><a class="peek" href="/pubsub/subscriptions/{{id}}/messages">peek</a></td>
        <td class="topic">{{topic}}</td>
        <td class="backlog">{{backlog}}</td>
        <td class="oldest">{{#oldestUnackedAgeSeconds}}{{.}} s{{/oldestUnackedAgeSeconds}}</td>
        <td class="outcomes">{{#pushEndpoint}}{{#outcomes}}ack {{ack}} · nack {{nack}} · timeout {{timeout}} · error {{error}}{{/outcomes}}{{/pushEndpoint}}{{^pushEndpoint}}pull{{/pushEndpoint}}</td>
        <td class="flow">{{#pushEndpoint}}window {{window}} · in flight {{inFlight}} · backoff {{backoffSeconds}} s{{#paused}} · <strong>paused</strong>{{/paused}}{{/pushEndpoint}}</td>
        <td class="settings">{{#settings}}ack deadline {{ackDeadlineSeconds}} s{{#retry}} · retry {{retry}}{{/retry}}{{#deadLetterTopic}} · dead letters to {{deadLetterTopic}} after {{maxDeliveryAttempts}}{{/deadLetterTopic}}{{#messageOrdering}} · ordered{{/messageOrdering}}{{#filter}} · filter {{filter}}{{/filter}}{{/settings}}{{#pushEndpoint}}<br>push to {{pushEndpoint}}{{/pushEndpoint}}</td>
        <td class="controls">
        {{#pushEndpoint}}
        <form class="faults" method="post" action="/pubsub/subscriptions/{{id}}/faults">{{#faults}}<label>fail <input name="failurePercent" type="number" min="0" max="100" value="{{failurePercent}}">%</label> <label>delay <input name="latencyMs" type="number" min="0" value="{{latencyMs}}"> ms</label>{{/faults}} <button type="submit">Set</button></form>
        {{#paused}}<form class="resume" method="post" action="/pubsub/subscriptions/{{id}}/resume"><button type="submit">Resume</button></form>{{/paused}}
        {{^paused}}<form class="pause" method="post" action="/pubsub/subscriptions/{{id}}/pause"><button type="submit">Pause</button></form>{{/paused}}
        {{/pushEndpoint}}
        <form class="skip-waits" method="post" action="/pubsub/subscriptions/{{id}}/skip-waits"><button type="submit">Skip waits</button></form>
        </td>
        </tr>
        {{/subscriptions}}
        </tbody>
        </table>
        {{> foot}}
        """

    static let peek = """
        {{> head}}
        <p>{{backlog}} unacknowledged messages in <strong>{{subscription}}</strong>, oldest first. Looking leases and acknowledges nothing.</p>
        <table id="messages">
        <thead><tr><th>Message</th><th>Published</th><th>Data</th><th>Attributes</th><th>Ordering key</th><th>Deliveries</th></tr></thead>
        <tbody>
        {{#messages}}
        <tr data-message-id="{{messageId}}"><td class="id">{{messageId}}</td><td class="published">{{publishTime}}</td><td class="data">{{#text}}{{.}}{{/text}}{{^text}}<em>{{data}} (base64)</em>{{/text}}</td><td class="attributes">{{#attributeList}}<code>{{key}}={{value}}</code> {{/attributeList}}</td><td class="ordering-key">{{orderingKey}}</td><td class="attempts">{{deliveryAttempt}}</td></tr>
        {{/messages}}
        </tbody>
        </table>
        {{#next}}<p><a id="next" href="?after={{.}}">Next messages</a></p>{{/next}}
        <p><a href="/pubsub">Back to the subscriptions</a></p>
        {{> foot}}
        """

    static let deadLetters = """
        {{> head}}
        <p>Messages kept by the dead-letter subscriptions ({{keepers}}), oldest first. A redrive publishes a message again to the topic it was dead-lettered from, without its <code>CloudPubSubDeadLetterSource*</code> attributes.</p>
        {{#any}}
        <form id="redrive-all" method="post" action="/dead-letters/redrive-all"><button type="submit">Redrive all</button></form>
        <form id="purge-all" method="post" action="/dead-letters/purge-all"><button type="submit">Purge all</button></form>
        {{/any}}
        <table id="dead-letters">
        <thead><tr><th>Message</th><th>From</th><th>Topic</th><th>Deliveries</th><th>Data</th><th>Attributes</th><th></th></tr></thead>
        <tbody>
        {{#deadLetters}}
        <tr class="dead-letter" data-message-id="{{messageId}}" data-subscription="{{subscription}}"><td class="id">{{messageId}}</td><td class="source-subscription">{{sourceSubscription}}</td><td class="source-topic">{{sourceTopic}}</td><td class="delivery-count">{{deliveryCount}}</td><td class="data">{{#text}}{{.}}{{/text}}{{^text}}<em>{{data}} (base64)</em>{{/text}}</td><td class="attributes">{{#attributeList}}<code>{{key}}={{value}}</code> {{/attributeList}}</td>
        <td><form class="redrive" method="post" action="/dead-letters/{{subscription}}/{{messageId}}/redrive"><button type="submit">Redrive</button></form><form class="purge" method="post" action="/dead-letters/{{subscription}}/{{messageId}}/purge"><button type="submit">Purge</button></form></td></tr>
        {{/deadLetters}}
        </tbody>
        </table>
        {{^any}}<p id="empty">No dead letters.</p>{{/any}}
        {{#next}}<p><a id="next" href="?after={{.}}">Next dead letters</a></p>{{/next}}
        {{> foot}}
        """

    static let missing = """
        {{> head}}
        <p id="error" class="error">{{message}}</p>
        {{> foot}}
        """
}
