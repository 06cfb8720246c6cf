/* Minga: the card payment form (Stripe.js Payment Element).
 * Reads its settings from the data- attributes of [data-stripe-payment] (no inline script),
 * mounts the Payment Element and confirms the PaymentIntent; Stripe then redirects the buyer to
 * data-return-url. The order is marked paid by Stripe's webhook, never by this page. */
(function () {
  "use strict";

  function start() {
    var root = document.querySelector("[data-stripe-payment]");
    if (!root) {
      return;
    }
    var form = root.querySelector("#stripe-payment-form");
    var submit = root.querySelector("#stripe-payment-submit");
    var message = root.querySelector("#stripe-payment-message");

    function show(text) {
      message.textContent = text;
      message.hidden = !text;
    }

    if (typeof window.Stripe !== "function") {
      show(root.dataset.messageUnavailable);
      return;
    }
    var stripe = window.Stripe(root.dataset.publishableKey);
    var elements = stripe.elements({ clientSecret: root.dataset.clientSecret });
    var paymentElement = elements.create("payment");
    paymentElement.mount("#stripe-payment-element");
    submit.disabled = false;

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit.disabled = true;
      show("");
      var confirming;
      if (typeof stripe.confirmPayment === "function") {
        confirming = stripe.confirmPayment({
          elements: elements,
          confirmParams: { return_url: root.dataset.returnUrl }
        });
      } else {
        // Older Stripe.js builds (and the local test stand-in) only know card payments.
        confirming = stripe.confirmCardPayment(root.dataset.clientSecret, {
          payment_method: { card: paymentElement }
        }).then(function (result) {
          if (!result.error) {
            window.location.assign(root.dataset.returnUrl + "?redirect_status=succeeded");
          }
          return result;
        });
      }
      confirming.then(function (result) {
        if (result && result.error) {
          show(result.error.message || root.dataset.messageFailed);
          submit.disabled = false;
        }
      }, function () {
        show(root.dataset.messageFailed);
        submit.disabled = false;
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
