/* Minga's extension of localstripe's Stripe.js (see tests/stripe_standin/stripe_js.py): what the
 * checkout page calls, with Stripe.js's documented results, against the stand-in. */
(function () {
  "use strict";
  var base = LOCALSTRIPE_BASE_API;
  var localStripe = Stripe;

  Stripe = function (apiKey) {
    var stripe = localStripe(apiKey);
    var localElements = stripe.elements;
    var localConfirmCardPayment = stripe.confirmCardPayment;

    stripe.elements = function (options) {
      var elements = localElements(options);
      elements._mingaOptions = options || {};
      return elements;
    };

    async function confirmWithCard(clientSecret, element) {
      var card = element && element.value && element.value.card;
      if (!card) {
        return { error: { type: "validation_error", message: "Your card number is incomplete." } };
      }
      var intentId = clientSecret.match(/^(pi_\w+)_secret_/)[1];
      var response = await fetch(
        base + "/js.stripe.com/v3/_minga/payment_intents/" + intentId + "/confirm",
        { method: "POST", body: JSON.stringify({ key: apiKey, client_secret: clientSecret, card: card }) }
      );
      var body = await response.json().catch(function () { return {}; });
      if (response.status !== 200 || body.error) {
        return { error: body.error || { message: "The stand-in refused the payment." } };
      }
      if (body.status === "requires_action") {
        return localConfirmCardPayment(clientSecret);  // localstripe's 3-D Secure dialog
      }
      if (body.status !== "succeeded") {
        return { error: { message: "payment_intent has status " + body.status } };
      }
      return { paymentIntent: body };
    }

    stripe.confirmCardPayment = function (clientSecret, data) {
      var element = data && data.payment_method && data.payment_method.card;
      if (!element) {
        return localConfirmCardPayment(clientSecret, data);
      }
      return confirmWithCard(clientSecret, element);
    };

    stripe.confirmPayment = async function (options) {
      var elements = options.elements;
      var clientSecret = options.clientSecret || elements._mingaOptions.clientSecret;
      var result = await confirmWithCard(clientSecret, elements.getElement("payment"));
      if (result.error || options.redirect === "if_required") {
        return result;
      }
      var returnUrl = options.confirmParams.return_url;
      var query = "payment_intent=" + encodeURIComponent(result.paymentIntent.id) +
        "&payment_intent_client_secret=" + encodeURIComponent(clientSecret) +
        "&redirect_status=succeeded";
      window.location.assign(returnUrl + (returnUrl.indexOf("?") < 0 ? "?" : "&") + query);
      return new Promise(function () {});  // like Stripe.js: the page is leaving
    };
    return stripe;
  };
})();
