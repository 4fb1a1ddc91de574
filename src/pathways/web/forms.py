"""Forms of the web pages."""

from django import forms


class SignInForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        max_length=256, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
