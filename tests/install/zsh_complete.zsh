# zsh_complete.zsh: types each LINE followed by TAB into an interactive zsh on a pseudo-terminal (zsh/zpty)
# that loaded SCRIPT through compinit, and prints the command line completion left, as "LINE:<line>".
# Usage: zsh -f zsh_complete.zsh SCRIPT LINE...   (tests/install/docs_test.sh)
zmodload zsh/zpty
script=$1
shift
zpty -b z 'zsh -f -i'
zpty -w z "PS1='> '; autoload -Uz compinit; compinit -u -D; source ${(q)script}; setopt nobeep"
for line in "$@"; do
  zpty -w -n z "$line"$'\t'
  sleep 0.3
  zpty -w -n z $'\C-a'"echo LINE:"$'\C-m'
  out=""
  deadline=$(( SECONDS + 20 ))
  while (( SECONDS < deadline )); do
    zpty -r -t z chunk && out+=$chunk
    [[ ${out//$'\r'/} == *$'\n'LINE:*$'\n'* ]] && break
    sleep 0.05
  done
  lines=(${(f)${out//$'\r'/}})
  print -r -- ${${(M)lines:#LINE:*}[-1]}
done
zpty -d z
